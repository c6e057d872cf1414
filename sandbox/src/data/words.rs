//! Word pools for realistic generated conversations. None of them can form the nickname
//! 阿洋, so the seed's own query (`userNick: 阿洋`) keeps returning exactly the 12 seed rows.

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
    "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余",
    "杜", "叶", "程", "苏", "魏", "吕", "丁", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "欧阳", "司马",
];

pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚",
    "桂英", "华", "玉兰", "萍", "红", "鹏", "飞", "晨", "辉", "宇", "欣", "婷", "雪", "琳", "浩然", "凯", "思远", "佳怡", "梦琪",
    "子涵", "一诺", "博文", "俊杰", "晓东", "欣然", "宁", "雨桐", "梓萱", "天佑", "建国",
];

/// Nicknames people pick on WeChat, mixed with the real-name style ones.
pub const HANDLES: &[&str] = &[
    "快乐的小鱼", "追风少年", "Sunny", "Lily王", "🍀幸运草", "夏天的风", "momo", "Tony", "一只喵", "晴天", "深海的鱼", "Kevin",
    "柠檬不酸", "🌸花开半夏", "A-建材批发-老陈", "沉默是金", "Amy", "微笑向暖", "大白", "Jack.Zhang", "向日葵🌻", "老猫",
    "静待花开", "Coco", "随遇而安", "山川湖海", "奶茶三分糖", "小确幸", "Mr.李", "风中的承诺",
];

pub const TAGS: &[&str] = &[
    "VIP", "getTest", "老客户", "新用户", "投诉", "待回访", "高价值", "企业客户", "售后", "退款中", "潜在客户", "已认证",
    "App用户", "活动用户", "批发商", "黑名单",
];

pub const TITLES: &[&str] = &[
    "Get帮你搞定一切", "Get一下，你就得到！", "订单咨询", "退款申请", "物流查询", "发票问题", "会员积分咨询", "账号登录异常",
    "产品使用咨询", "售后维修预约", "投诉与建议", "优惠券无法使用", "修改收货地址", "预约上门服务", "支付失败", "商品质量问题",
    "开通企业账户", "Order status / 订单状态", "q", "咨询",
];

pub const MESSAGES: &[&str] = &[
    "你好，在吗？", "我的订单什么时候发货？", "好的，谢谢", "[图片]", "[语音]", "请问可以开发票吗", "已经处理好了",
    "稍等，我帮您查一下", "快递到哪了", "能便宜点吗", "OK",
];

/// Operator nicknames of the generated data; 小李 is the seed operator's.
pub const OPERATORS: &[&str] = &[
    "小王", "小张", "小刘", "阿芳", "李娜", "客服-陈晨", "客服-周杰", "Tony", "Anna", "晓雪", "美美", "小陈", "老赵",
    "客服主管-孙丽", "客服07号", "Kevin客服",
];

pub const CHANNELS: &[&str] = &["官方微信公众号", "新浪微博", "App在线客服", "淘宝旗舰店", "京东自营店", "官网网页客服", "抖音小店"];

/// Name and clientId of the generated clients; the seed's Newwear (6) is added to these.
pub const CLIENTS: &[(&str, i64)] = &[("Get生活", 1), ("优选商城", 2), ("快修到家", 3), ("悦享会员", 5), ("云店通", 8)];

pub const CLIENT_TYPES: &[&str] = &["WX", "WX", "WX", "APP", "IOS", "ANDROID", "WEB", "WEIBO"];

pub const VERSION_CODES: &[&str] = &["2.1", "2.1", "2.0", "1.9.3", "2.2", "3.0.1"];

pub const USER_NAME_STEMS: &[&str] = &["yzhou", "lili", "zhangsan", "chen", "tony", "amy", "kevin", "wangfang", "liuyang", "sunny"];

pub const ADDRESS_REMARKS: &[&str] = &["家", "公司", "", "老家", "父母家", "仓库", "店铺"];

pub const CONTACT_NAMES: &[&str] = &["妈妈", "爸爸", "老公", "老婆", "同事", "前台", "财务", "朋友", "助理"];

/// A city: its prefix as written in an address, districts, streets and centre (lat, lng).
pub struct City {
    pub prefix: &'static str,
    pub districts: &'static [&'static str],
    pub streets: &'static [&'static str],
    pub lat: f64,
    pub lng: f64,
}

pub const CITIES: &[City] = &[
    City { prefix: "北京市", districts: &["海淀区", "朝阳区", "东城区", "西城区", "丰台区"], streets: &["中关村大街", "建国路", "学院路", "望京街", "软件园二号路"], lat: 39.9042, lng: 116.4074 },
    City { prefix: "上海市", districts: &["浦东新区", "徐汇区", "静安区", "黄浦区", "闵行区"], streets: &["张江路", "世纪大道", "南京西路", "淮海中路", "漕溪北路"], lat: 31.2304, lng: 121.4737 },
    City { prefix: "广东省广州市", districts: &["天河区", "越秀区", "海珠区", "番禺区"], streets: &["天河路", "体育西路", "中山五路", "江南大道"], lat: 23.1291, lng: 113.2644 },
    City { prefix: "广东省深圳市", districts: &["南山区", "福田区", "罗湖区", "宝安区"], streets: &["科技园南路", "深南大道", "华强北路", "宝安大道"], lat: 22.5431, lng: 114.0579 },
    City { prefix: "浙江省杭州市", districts: &["西湖区", "滨江区", "余杭区", "拱墅区"], streets: &["文三路", "江南大道", "文一西路", "莫干山路"], lat: 30.2741, lng: 120.1551 },
    City { prefix: "四川省成都市", districts: &["武侯区", "锦江区", "青羊区"], streets: &["天府大道", "春熙路", "人民南路"], lat: 30.5728, lng: 104.0668 },
    City { prefix: "湖北省武汉市", districts: &["洪山区", "江汉区", "武昌区"], streets: &["珞喻路", "解放大道", "中南路"], lat: 30.5928, lng: 114.3055 },
    City { prefix: "江苏省南京市", districts: &["鼓楼区", "玄武区", "秦淮区"], streets: &["中山路", "珠江路", "汉中路"], lat: 32.0603, lng: 118.7969 },
    City { prefix: "陕西省西安市", districts: &["雁塔区", "碑林区", "未央区"], streets: &["小寨东路", "长安北路", "未央路"], lat: 34.3416, lng: 108.9398 },
    City { prefix: "重庆市", districts: &["渝中区", "江北区", "南岸区"], streets: &["民权路", "建新北路", "南坪正街"], lat: 29.5630, lng: 106.5516 },
    City { prefix: "湖南省长沙市", districts: &["岳麓区", "芙蓉区"], streets: &["麓山南路", "五一大道"], lat: 28.2282, lng: 112.9388 },
    City { prefix: "黑龙江省哈尔滨市", districts: &["道里区", "南岗区"], streets: &["中央大街", "西大直街"], lat: 45.8038, lng: 126.5350 },
];

/// Where avatars and logos live in the seeds (a Qiniu bucket).
pub const IMAGE_HOST: &str = "http://7xkq6j.com1.z0.glb.clouddn.com/";
